/*
 * Copyright 2026 the original author or authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *      https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

package io.github.redisstreams;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * Package rules of the library's main classes.
 */
class ArchitectureTests {

	private static JavaClasses classes;

	@BeforeAll
	static void importMainClasses() {
		classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
			.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
			.importPackages("io.github.redisstreams");
	}

	@Test
	void packagesAreFreeOfCycles() {
		slices().matching("io.github.redisstreams.(*)..").should().beFreeOfCycles().check(classes);
	}

	@Test
	void onlyTheAutoConfigurationPackageDependsOnTheAutoConfigurationPackage() {
		noClasses().that()
			.resideOutsideOfPackage("io.github.redisstreams.autoconfigure")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("io.github.redisstreams.autoconfigure..")
			.check(classes);
	}

	@Test
	void listenerRuntimeDoesNotDependOnActuatorHealthOrMetrics() {
		noClasses().that()
			.resideInAPackage("io.github.redisstreams.listener..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("..actuate..", "..health..", "..metrics..")
			.check(classes);
	}

}
